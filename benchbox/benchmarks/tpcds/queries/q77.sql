-- TPC-DS Q77 (Appendix B.77): sales, returns and profit of each channel over a 30-day period, per
-- store, call center and web page, rolled up by channel and location.
-- @param YEAR 2000 ~ uniform(1998, 2002)
-- @param SALES_DATE '2000-08-23' ~ day(f'{YEAR}-08-01', f'{YEAR}-08-30')
with store_sold as (
    select
        s_store_sk as store_sk,
        sum(ss_ext_sales_price) as sales,
        sum(ss_net_profit) as profit
    from store_sales, date_dim, store
    where ss_sold_date_sk = d_date_sk
      and d_date between date '${SALES_DATE}' and date '${SALES_DATE}' + interval '30' day
      and ss_store_sk = s_store_sk
    group by s_store_sk
),
store_returned as (
    select
        s_store_sk as store_sk,
        sum(sr_return_amt) as returns,
        sum(sr_net_loss) as loss
    from store_returns, date_dim, store
    where sr_returned_date_sk = d_date_sk
      and d_date between date '${SALES_DATE}' and date '${SALES_DATE}' + interval '30' day
      and sr_store_sk = s_store_sk
    group by s_store_sk
),
catalog_sold as (
    select
        cs_call_center_sk as call_center_sk,
        sum(cs_ext_sales_price) as sales,
        sum(cs_net_profit) as profit
    from catalog_sales, date_dim
    where cs_sold_date_sk = d_date_sk
      and d_date between date '${SALES_DATE}' and date '${SALES_DATE}' + interval '30' day
    group by cs_call_center_sk
),
catalog_returned as (
    select
        cr_call_center_sk as call_center_sk,
        sum(cr_return_amount) as returns,
        sum(cr_net_loss) as loss
    from catalog_returns, date_dim
    where cr_returned_date_sk = d_date_sk
      and d_date between date '${SALES_DATE}' and date '${SALES_DATE}' + interval '30' day
    group by cr_call_center_sk
),
web_sold as (
    select
        wp_web_page_sk as web_page_sk,
        sum(ws_ext_sales_price) as sales,
        sum(ws_net_profit) as profit
    from web_sales, date_dim, web_page
    where ws_sold_date_sk = d_date_sk
      and d_date between date '${SALES_DATE}' and date '${SALES_DATE}' + interval '30' day
      and ws_web_page_sk = wp_web_page_sk
    group by wp_web_page_sk
),
web_returned as (
    select
        wp_web_page_sk as web_page_sk,
        sum(wr_return_amt) as returns,
        sum(wr_net_loss) as loss
    from web_returns, date_dim, web_page
    where wr_returned_date_sk = d_date_sk
      and d_date between date '${SALES_DATE}' and date '${SALES_DATE}' + interval '30' day
      and wr_web_page_sk = wp_web_page_sk
    group by wp_web_page_sk
),
by_location as (
    select
        'store channel' as channel,
        s.store_sk as id,
        s.sales,
        coalesce(r.returns, 0) as returns,
        s.profit - coalesce(r.loss, 0) as profit
    from store_sold s
    left join store_returned r
        on s.store_sk = r.store_sk
    union all
    -- as in the kit, catalog sales and returns are paired without a join condition
    select
        'catalog channel' as channel,
        s.call_center_sk as id,
        s.sales,
        r.returns,
        s.profit - r.loss as profit
    from catalog_sold s
    cross join catalog_returned r
    union all
    select
        'web channel' as channel,
        s.web_page_sk as id,
        s.sales,
        coalesce(r.returns, 0) as returns,
        s.profit - coalesce(r.loss, 0) as profit
    from web_sold s
    left join web_returned r
        on s.web_page_sk = r.web_page_sk
)
select
    channel,
    id,
    sum(sales) as sales,
    sum(returns) as returns,
    sum(profit) as profit
from by_location
group by rollup (channel, id)
-- the tie-breaker puts a null id (catalog sales without a call center) before the channel total
order by channel, id, grouping(id)
limit 100
