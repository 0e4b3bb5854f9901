-- TPC-DS Q80 (Appendix B.80): sales, returns and profit net of returns over a 30-day period, for items
-- priced over $50 in promotions not run on TV, per store, catalog page and web site, rolled up by channel.
-- @param YEAR 2000 ~ uniform(1998, 2002)
-- @param SALES_DATE '2000-08-23' ~ day(f'{YEAR}-08-01', f'{YEAR}-08-30')
with store_totals as (
    select
        s_store_id as location_id,
        sum(ss_ext_sales_price) as sales,
        sum(coalesce(sr_return_amt, 0)) as returns,
        sum(ss_net_profit - coalesce(sr_net_loss, 0)) as profit
    from store_sales
    left join store_returns
        on sr_item_sk = ss_item_sk
        and sr_ticket_number = ss_ticket_number
    join date_dim
        on ss_sold_date_sk = d_date_sk
    join store
        on ss_store_sk = s_store_sk
    join item
        on ss_item_sk = i_item_sk
    join promotion
        on ss_promo_sk = p_promo_sk
    where d_date between date '${SALES_DATE}' and date '${SALES_DATE}' + interval '30' day
      and i_current_price > 50
      and p_channel_tv = 'N'
    group by s_store_id
),
catalog_totals as (
    select
        cp_catalog_page_id as location_id,
        sum(cs_ext_sales_price) as sales,
        sum(coalesce(cr_return_amount, 0)) as returns,
        sum(cs_net_profit - coalesce(cr_net_loss, 0)) as profit
    from catalog_sales
    left join catalog_returns
        on cr_item_sk = cs_item_sk
        and cr_order_number = cs_order_number
    join date_dim
        on cs_sold_date_sk = d_date_sk
    join catalog_page
        on cs_catalog_page_sk = cp_catalog_page_sk
    join item
        on cs_item_sk = i_item_sk
    join promotion
        on cs_promo_sk = p_promo_sk
    where d_date between date '${SALES_DATE}' and date '${SALES_DATE}' + interval '30' day
      and i_current_price > 50
      and p_channel_tv = 'N'
    group by cp_catalog_page_id
),
web_totals as (
    select
        web_site_id as location_id,
        sum(ws_ext_sales_price) as sales,
        sum(coalesce(wr_return_amt, 0)) as returns,
        sum(ws_net_profit - coalesce(wr_net_loss, 0)) as profit
    from web_sales
    left join web_returns
        on wr_item_sk = ws_item_sk
        and wr_order_number = ws_order_number
    join date_dim
        on ws_sold_date_sk = d_date_sk
    join web_site
        on ws_web_site_sk = web_site_sk
    join item
        on ws_item_sk = i_item_sk
    join promotion
        on ws_promo_sk = p_promo_sk
    where d_date between date '${SALES_DATE}' and date '${SALES_DATE}' + interval '30' day
      and i_current_price > 50
      and p_channel_tv = 'N'
    group by web_site_id
),
all_channels as (
    select 'store channel' as channel, 'store' || location_id as id, sales, returns, profit
    from store_totals
    union all
    select 'catalog channel' as channel, 'catalog_page' || location_id as id, sales, returns, profit
    from catalog_totals
    union all
    select 'web channel' as channel, 'web_site' || location_id as id, sales, returns, profit
    from web_totals
)
select
    channel,
    id,
    sum(sales) as sales,
    sum(returns) as returns,
    sum(profit) as profit
from all_channels
group by rollup (channel, id)
order by channel, id
limit 100
