-- TPC-DS Q51 (Appendix B.51): items and days, within a twelve-month window, where the running total
-- of web sales exceeds the running total of store sales.
-- @param DMS 1200 ~ uniform(1176, 1224)
with web_running as (
    select
        ws_item_sk as item_sk,
        d_date as sale_date,
        sum(sum(ws_sales_price)) over (
            partition by ws_item_sk
            order by d_date
            rows between unbounded preceding and current row
        ) as running_sales
    from web_sales, date_dim
    where ws_sold_date_sk = d_date_sk
      and d_month_seq between ${DMS} and ${DMS} + 11
      and ws_item_sk is not null
    group by ws_item_sk, d_date
),
store_running as (
    select
        ss_item_sk as item_sk,
        d_date as sale_date,
        sum(sum(ss_sales_price)) over (
            partition by ss_item_sk
            order by d_date
            rows between unbounded preceding and current row
        ) as running_sales
    from store_sales, date_dim
    where ss_sold_date_sk = d_date_sk
      and d_month_seq between ${DMS} and ${DMS} + 11
      and ss_item_sk is not null
    group by ss_item_sk, d_date
),
both_channels as (
    select
        coalesce(w.item_sk, s.item_sk) as item_sk,
        coalesce(w.sale_date, s.sale_date) as sale_date,
        w.running_sales as web_sales,
        s.running_sales as store_sales
    from web_running w
    full outer join store_running s
        on w.item_sk = s.item_sk
        and w.sale_date = s.sale_date
),
carried as (
    select
        item_sk,
        sale_date,
        web_sales,
        store_sales,
        max(web_sales) over (
            partition by item_sk
            order by sale_date
            rows between unbounded preceding and current row
        ) as web_cumulative,
        max(store_sales) over (
            partition by item_sk
            order by sale_date
            rows between unbounded preceding and current row
        ) as store_cumulative
    from both_channels
)
select item_sk, sale_date, web_sales, store_sales, web_cumulative, store_cumulative
from carried
where web_cumulative > store_cumulative
order by item_sk, sale_date
limit 100
