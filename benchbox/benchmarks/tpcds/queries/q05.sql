-- TPC-DS Q5 (Appendix B.5): sales, returns and profit net of return losses over 14 days for each
-- store, catalog page and web site, rolled up by channel.
-- @param YEAR 2000 ~ uniform(1998, 2002)
-- @param SALES_DATE '2000-08-23' ~ day(f'{YEAR}-08-01', f'{YEAR}-08-30')
with store_activity as (
    select
        s_store_id as outlet_id,
        sum(sales) as sales,
        sum(returns) as returns,
        sum(profit) - sum(loss) as profit
    from (
        select
            ss_store_sk as outlet_sk,
            ss_sold_date_sk as date_sk,
            ss_ext_sales_price as sales,
            ss_net_profit as profit,
            cast(0 as decimal(7,2)) as returns,
            cast(0 as decimal(7,2)) as loss
        from store_sales
        union all
        select
            sr_store_sk,
            sr_returned_date_sk,
            cast(0 as decimal(7,2)) as sales,
            cast(0 as decimal(7,2)) as profit,
            sr_return_amt,
            sr_net_loss
        from store_returns
    ) lines, date_dim, store
    where d_date_sk = lines.date_sk
      and d_date between date '${SALES_DATE}' and date '${SALES_DATE}' + interval '14' day
      and s_store_sk = lines.outlet_sk
    group by s_store_id
),
catalog_activity as (
    select
        cp_catalog_page_id as outlet_id,
        sum(sales) as sales,
        sum(returns) as returns,
        sum(profit) - sum(loss) as profit
    from (
        select
            cs_catalog_page_sk as outlet_sk,
            cs_sold_date_sk as date_sk,
            cs_ext_sales_price as sales,
            cs_net_profit as profit,
            cast(0 as decimal(7,2)) as returns,
            cast(0 as decimal(7,2)) as loss
        from catalog_sales
        union all
        select
            cr_catalog_page_sk,
            cr_returned_date_sk,
            cast(0 as decimal(7,2)) as sales,
            cast(0 as decimal(7,2)) as profit,
            cr_return_amount,
            cr_net_loss
        from catalog_returns
    ) lines, date_dim, catalog_page
    where d_date_sk = lines.date_sk
      and d_date between date '${SALES_DATE}' and date '${SALES_DATE}' + interval '14' day
      and cp_catalog_page_sk = lines.outlet_sk
    group by cp_catalog_page_id
),
web_activity as (
    select
        web_site_id as outlet_id,
        sum(sales) as sales,
        sum(returns) as returns,
        sum(profit) - sum(loss) as profit
    from (
        select
            ws_web_site_sk as outlet_sk,
            ws_sold_date_sk as date_sk,
            ws_ext_sales_price as sales,
            ws_net_profit as profit,
            cast(0 as decimal(7,2)) as returns,
            cast(0 as decimal(7,2)) as loss
        from web_sales
        union all
        -- a web return takes its web site from the sale it returns
        select
            ws_web_site_sk,
            wr_returned_date_sk,
            cast(0 as decimal(7,2)) as sales,
            cast(0 as decimal(7,2)) as profit,
            wr_return_amt,
            wr_net_loss
        from web_returns
        left join web_sales
            on ws_item_sk = wr_item_sk
            and ws_order_number = wr_order_number
    ) lines, date_dim, web_site
    where d_date_sk = lines.date_sk
      and d_date between date '${SALES_DATE}' and date '${SALES_DATE}' + interval '14' day
      and web_site_sk = lines.outlet_sk
    group by web_site_id
)
select
    channel,
    id,
    sum(sales) as sales,
    sum(returns) as returns,
    sum(profit) as profit
from (
    select 'store channel' as channel, 'store' || outlet_id as id, sales, returns, profit
    from store_activity
    union all
    select 'catalog channel', 'catalog_page' || outlet_id, sales, returns, profit
    from catalog_activity
    union all
    select 'web channel', 'web_site' || outlet_id, sales, returns, profit
    from web_activity
) by_outlet
group by rollup (channel, id)
order by channel, id
limit 100
